(window.toivoSearch = window.toivoSearch || {})["en/s0"] = {"t":{"about":[1,50,0],"cours":[1,26,0],"home":[0,52,0],"page":[0,29,0],"the":[1,26,0]},"f":{"course":"cours"}};
