/* toivo search index: [title, module, url, [[heading, id]], text, words] */
(window.toivoSearch = window.toivoSearch || {})["en"] = [
["Home","","index.html",[],"Home page.",""],
["Voices","","voices/index.html",[],"Original in Finnish ”nyt minua kuunnellaan” Translation“now I am listened to” Original in Finnish ”toivoa on” Translation“there is hope” Original in Finnish ”toivoa on” Translation“there is hope”",""]
];
