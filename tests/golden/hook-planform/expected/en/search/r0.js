(window.toivoSearch = window.toivoSearch || {})["en/r0"] = [
["Home","","index.html",[["","","Home page."]]],
["Form","","form/index.html",[["","",""],["Plan","plan-6-title","Hope carries. Your answers stay on this page only: they are not sent anywhere or stored in the browser, so save them to a file or print them before you close the page. Save Open saved plan Print Clear"],["What do I hope for?","plan-6-hope","what you dream of"],["Seuraava tapaaminen","plan-6-next",""]]]
];
