(window.toivoSearch = window.toivoSearch || {})["fi/r0"] = [
["Koti","","index.html",[["","","Kotisivu."]]],
["Osa","","osa/index.html",[["","","Vain suomeksi kirjoitettu moduuli."]]],
["Yksin","Osa","osa/yksin/index.html",[["","","Tällä sivulla ei ole käännöstä."]]]
];
