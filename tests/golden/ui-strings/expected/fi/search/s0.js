(window.toivoSearch = window.toivoSearch || {})["fi/s0"] = {"t":{"etu":[0,12,0],"etusivu":[0,12,0],"koti":[0,20,0],"sivu":[0,12,0]},"f":{"etusivu":"etusivu|etu sivu"}};
