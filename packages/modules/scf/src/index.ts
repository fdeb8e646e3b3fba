// @pujiang/module-scf: formats (browser-safe).
