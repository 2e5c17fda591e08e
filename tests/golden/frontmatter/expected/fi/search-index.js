/* toivo search index: [title, module, url, [[heading, id]], text, words] */
(window.toivoSearch = window.toivoSearch || {})["fi"] = [
["Koti","","index.html",[],"Etusivu.",""],
["Moduuli","","m/index.html",[],"Moduuli.",""],
["Ensimmäinen painon mukaan","Moduuli","m/a/index.html",[],"A.",""],
["Toinen painon mukaan","Moduuli","m/toinen/index.html",[],"B.",""]
];
