(window.toivoSearch = window.toivoSearch || {})["fi/r0"] = [
["Koti","","index.html",[["","","Etusivu."]]],
["Taulukko","","taulu/index.html",[["","","Muutokset ryhmittäin Ryhmä Yhteensä Kevyempi Sama Raskaampi Kevyempään, % Ryhmä A 10 4 3 3 40,0 Ryhmä B 12 5 5 1 41,7 Kaikki 22 9 8 4 40,9 Lähteen luvut eivät täsmää tällä rivillä"]]]
];
