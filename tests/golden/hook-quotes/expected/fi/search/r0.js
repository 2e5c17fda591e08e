(window.toivoSearch = window.toivoSearch || {})["fi/r0"] = [
["Koti","","index.html",[["","","Kotisivu."]]],
["Äänet","","aanet/index.html",[["","","”nyt minua kuunnellaan” ”toivoa on” ”toivoa on”"]]]
];
