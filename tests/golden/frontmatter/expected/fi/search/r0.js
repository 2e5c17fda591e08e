(window.toivoSearch = window.toivoSearch || {})["fi/r0"] = [
["Koti","","index.html",[["","","Etusivu."]]],
["Moduuli","","m/index.html",[["","","Moduuli."]]],
["Ensimmäinen painon mukaan","Moduuli","m/a/index.html",[["","","A."]]],
["Toinen painon mukaan","Moduuli","m/toinen/index.html",[["","","B."]]]
];
