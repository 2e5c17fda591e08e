/* toivo search index: [title, module, url, [[heading, id]], text, words] */
(window.toivoSearch = window.toivoSearch || {})["fi"] = [
["Koti","","index.html",[],"Kotisivu.",""]
];
