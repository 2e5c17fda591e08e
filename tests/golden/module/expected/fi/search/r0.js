(window.toivoSearch = window.toivoSearch || {})["fi/r0"] = [
["Koti","","index.html",[["","","Etusivu."]]],
["Perusteet","","perusteet/index.html",[["","","Moduulin johdanto."]]],
["Osallisuus","Perusteet","perusteet/osallisuus/index.html",[["","","Osallisuus tarkoittaa mukanaoloa."]]],
["Toivo","Perusteet","perusteet/toivo/index.html",[["","",""],["Mitä toivo on","mita-toivo-on","Toivo on usko muutokseen."]]]
];
