(window.toivoSearch = window.toivoSearch || {})["fi/index"] = {"pages":1,"records":4,"shards":[""]};
