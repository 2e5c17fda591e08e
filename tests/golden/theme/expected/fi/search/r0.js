(window.toivoSearch = window.toivoSearch || {})["fi/r0"] = [
["Koti","","index.html",[["","","Etusivu."]]],
["Moduuli","","m/index.html",[["","","Moduuli."]]],
["Eka","Moduuli","m/eka/index.html",[["","","Eka."]]],
["Toka","Moduuli","m/toka/index.html",[["","","Toka."]]]
];
