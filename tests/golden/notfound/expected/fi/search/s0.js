(window.toivoSearch = window.toivoSearch || {})["fi/s0"] = {"t":{"koti":[0,21,0],"kotisivu":[0,12,0],"sivu":[0,12,0]},"f":{"kotisivu":"kotisivu|koti sivu"}};
