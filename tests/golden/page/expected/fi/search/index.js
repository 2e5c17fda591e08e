(window.toivoSearch = window.toivoSearch || {})["fi/index"] = {"pages":3,"records":4,"shards":[""]};
