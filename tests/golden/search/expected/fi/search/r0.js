(window.toivoSearch = window.toivoSearch || {})["fi/r0"] = [
["Koti","","index.html",[["","","Etusivu."]]],
["Löydettävä","","haku/index.html",[["","",""],["Työn äärellä","tyon-aarella","Asumispalveluissa toipuminen on mahdollista."],["Öisin","oisin","Äänetön yö."]]]
];
