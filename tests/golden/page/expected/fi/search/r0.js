(window.toivoSearch = window.toivoSearch || {})["fi/r0"] = [
["Koti","","index.html",[["","","Etusivu."]]],
["Lähteet","","lahteet/index.html",[["","","Ensimmäinen lähde. Toinen lähde."]]],
["Sanasto","","sanasto/index.html",[["","","Toipuminen : yksilöllinen prosessi. Katso myös lähteet."]]]
];
