(window.toivoSearch = window.toivoSearch || {})["fi/r0"] = [
["Koti","","index.html",[["","","Etusivu."]]],
["Nykyinen","","nykyinen/index.html",[["","","Sivulla on ollut muita osoitteita."]]]
];
