/* toivo search index: [title, module, url, [[heading, id]], text, words] */
(window.toivoSearch = window.toivoSearch || {})["fi"] = [
["Koti","","index.html",[],"Etusivu.",""],
["Löydettävä","","haku/index.html",[["Työn äärellä","tyon-aarella"],["Öisin","oisin"]],"Työn äärellä Asumispalveluissa toipuminen on mahdollista. Öisin Äänetön yö.",""]
];
