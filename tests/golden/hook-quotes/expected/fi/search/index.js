(window.toivoSearch = window.toivoSearch || {})["fi/index"] = {"pages":2,"records":4,"shards":[""]};
