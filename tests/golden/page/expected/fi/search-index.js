/* toivo search index: [title, module, url, [[heading, id]], text, words] */
(window.toivoSearch = window.toivoSearch || {})["fi"] = [
["Koti","","index.html",[],"Etusivu.",""],
["Lähteet","","lahteet/index.html",[],"Ensimmäinen lähde. Toinen lähde.",""],
["Sanasto","","sanasto/index.html",[],"Toipuminen : yksilöllinen prosessi. Katso myös lähteet.",""]
];
