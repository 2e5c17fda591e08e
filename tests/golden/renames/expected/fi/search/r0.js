(window.toivoSearch = window.toivoSearch || {})["fi/r0"] = [
["Koti","","index.html",[["","","Etusivu."]]],
["Sivu","","uusi/index.html",[["","","Sivu, joka siirrettiin."]]]
];
