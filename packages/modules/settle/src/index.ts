// @pujiang/module-settle: formats (browser-safe).
