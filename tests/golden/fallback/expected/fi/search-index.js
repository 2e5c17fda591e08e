/* toivo search index: [title, module, url, [[heading, id]], text, words] */
(window.toivoSearch = window.toivoSearch || {})["fi"] = [
["Koti","","index.html",[],"Kotisivu.",""],
["Osa","","osa/index.html",[],"Vain suomeksi kirjoitettu moduuli.",""],
["Yksin","Osa","osa/yksin/index.html",[],"Tällä sivulla ei ole käännöstä.",""]
];
