(window.toivoSearch = window.toivoSearch || {})["en/s0"] = {"t":{"home":[0,21,0],"page":[0,12,0]},"f":{}};
