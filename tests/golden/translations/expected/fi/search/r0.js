(window.toivoSearch = window.toivoSearch || {})["fi/r0"] = [
["Koti","","index.html",[["","","Kotisivu."]]],
["Työ","","tyo/index.html",[["","","Moduuli."]]],
["Arki","Työ","tyo/arki/index.html",[["","",""],["Päivän kulku","paivan-kulku","Teksti."]]]
];
