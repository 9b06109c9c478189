"""The freeze-ahead model's coefficients (`chaincut.gangs.ahead`): a logistic regression
fitted on training worlds' truth (docs/gangs.md, "Round eight: cards")."""

#: the features, in the order of `COEF`
FEATURES = ("numbers", "recruiter", "idle", "payment", "new", "wallets", "counterparties")
INTERCEPT = -20.0
COEF: dict[str, float] = {f: 0.0 for f in FEATURES}
