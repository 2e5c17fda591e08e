(window.toivoSearch = window.toivoSearch || {})["en/s0"] = {"t":{"english":[1,26,0],"extra":[1,48,0],"home":[0,52,0],"in":[1,26,0],"onli":[1,26,0],"page":[0,29,0]},"f":{"only":"onli"}};
