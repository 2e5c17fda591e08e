/* toivo search index: [title, module, url, [[heading, id]], text, words] */
(window.toivoSearch = window.toivoSearch || {})["fi"] = [
["Koti","","index.html",[],"Kotisivu.",""],
["Työ","","tyo/index.html",[],"Moduuli.",""],
["Arki","Työ","tyo/arki/index.html",[["Päivän kulku","paivan-kulku"]],"Päivän kulku Teksti.",""]
];
