(window.toivoSearch = window.toivoSearch || {})["en/r0"] = [
["Home","","index.html",[["","","Home page."]]],
["Voices","","voices/index.html",[["","","Original in Finnish ”nyt minua kuunnellaan” Translation“now I am listened to” Original in Finnish ”toivoa on” Translation“there is hope” Original in Finnish ”toivoa on”"]]]
];
