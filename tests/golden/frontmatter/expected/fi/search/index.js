(window.toivoSearch = window.toivoSearch || {})["fi/index"] = {"pages":4,"records":4,"shards":[""]};
