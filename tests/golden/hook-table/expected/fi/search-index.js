/* toivo search index: [title, module, url, [[heading, id]], text, words] */
(window.toivoSearch = window.toivoSearch || {})["fi"] = [
["Koti","","index.html",[],"Etusivu.",""],
["Taulukko","","taulu/index.html",[],"Muutokset ryhmittäin Ryhmä Yhteensä Kevyempi Sama Raskaampi Kevyempään, % Ryhmä A 10 4 3 3 40,0 Ryhmä B 12 5 5 1 41,7 Kaikki 22 9 8 4 40,9 Lähteen luvut eivät täsmää tällä rivillä Lähde: keksitty esimerkki.",""]
];
