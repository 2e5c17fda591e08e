(window.toivoSearch = window.toivoSearch || {})["fi/r0"] = [
["Koti","","index.html",[["","","Etusivu."]]],
["Kaavio","","kaavio/index.html",[["","","Tulleet 2016–2018 Kaavion tiedot taulukkona Tulleet 2016–2018 vuosi Palvelu A Palvelu B 2016 3 5 2017 4 2018 6 2 Palvelu A Kaavion tiedot taulukkona Palvelu A vuosi Palvelu A 2016 3 2017 4 2018 6"]]]
];
