(window.toivoSearch = window.toivoSearch || {})["fi/r0"] = [
["Koti","","index.html",[["","","Etusivu."]]],
["Merkintä","","merkinta/index.html",[["","",""],["Toivon löytäminen","toivon-loytaminen","a b 1 2 vanha ja www.example.org, kotiin ja alkuun. tehty tekemättä"]]]
];
