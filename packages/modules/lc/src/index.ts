// @pujiang/module-lc: formats (browser-safe).
