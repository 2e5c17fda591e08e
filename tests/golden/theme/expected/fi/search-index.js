/* toivo search index: [title, module, url, [[heading, id]], text, words] */
(window.toivoSearch = window.toivoSearch || {})["fi"] = [
["Koti","","index.html",[],"Etusivu.",""],
["Moduuli","","m/index.html",[],"Moduuli.",""],
["Eka","Moduuli","m/eka/index.html",[],"Eka.",""],
["Toka","Moduuli","m/toka/index.html",[],"Toka.",""]
];
