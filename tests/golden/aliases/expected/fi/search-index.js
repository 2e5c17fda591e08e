/* toivo search index: [title, module, url, [[heading, id]], text, words] */
(window.toivoSearch = window.toivoSearch || {})["fi"] = [
["Koti","","index.html",[],"Etusivu.",""],
["Nykyinen","","nykyinen/index.html",[],"Sivulla on ollut muita osoitteita.",""]
];
