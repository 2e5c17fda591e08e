/* toivo search index: [title, module, url, [[heading, id]], text, words] */
(window.toivoSearch = window.toivoSearch || {})["fi"] = [
["Koti","","index.html",[],"Etusivu.",""],
["Merkintä","","merkinta/index.html",[["Toivon löytäminen","toivon-loytaminen"]],"Toivon löytäminen a b 1 2 vanha ja www.example.org, kotiin ja alkuun. tehty tekemättä",""]
];
