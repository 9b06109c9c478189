"""The freeze-ahead model's coefficients (`chaincut.gangs.ahead`): a logistic regression
(scikit-learn, C = 1) fitted on the leads of training worlds with their truth (foreign seeds
22-27 and simulator seeds 23-27, `--size tiny` / `--randomise --scale tiny`: 63 of the
gangs' cards among 7,765 innocent accounts), docs/gangs.md "Round eight: cards".

Three fitted coefficients were set to zero rather than kept with their sign or size:
counterparties (+0.30: an account its holder lives on is no more the gang's for it; the idle
feature takes the unused account's weight), the gang's lines (-0.07: its targets talk to
them too, no evidence either way) and the payment kind alone (-0.07: the wallets carry it).
With them zeroed, the leads at `AHEAD_MIN` on those worlds hold 24 of the
right gang's cards instead of 26, and no innocent account either way.

Round nine (docs/gangs.md "Round nine: cards") added two features, the others kept as they
are. `flagged`, the mule-card model's score, was fitted (C = 1, the others held fixed) on the
candidates the round-eight model leaves on foreign and simulator seeds 21-28. `recent`, opened
at most `ahead.RECENT_DAYS` before the gang's first report, is not fitted: no innocent
account of those worlds was opened then, so a fit gives it whatever weight the
regularisation allows. It is the log of how much likelier a gang's card is to be that new
(about 0.4 of the gangs' cards among the candidates) than a person's own account (taken as
0.025: one in forty opened in any two months, the round figure assumed for a real city,
not measured here): log(0.4 / 0.025) = 2.8."""

#: the features (`ahead._features`), in the order of `COEF`
FEATURES = (
    "lines",
    "dealer",
    "people",
    "idle",
    "payment",
    "new",
    "recent",
    "wallets",
    "counterparties",
    "flagged",
)
INTERCEPT = -8.06
COEF: dict[str, float] = {
    # log(1 + the gang's lines the holder talks to): its targets talk to them too
    "lines": 0.0,
    # talks to one of the gang's recruiters or card dealers
    "dealer": 0.07,
    # log(1 + the gang's other people the holder talks to): mules, launderers, its core
    "people": 2.06,
    # no counterparty yet
    "idle": 2.26,
    # a payment account (Alipay, WeChat Pay): a score-running lender's
    "payment": 0.0,
    # opened at most `NEW_DAYS` before the gang's first report, or since
    "new": 0.91,
    # a payment account: how many idle ones its holder keeps (itself among them, at most 3)
    "wallets": 3.77,
    # log(1 + counterparties)
    "counterparties": 0.0,
    # opened at most `RECENT_DAYS` before the gang's first report: set from a base rate, not
    # fitted (the training worlds open no innocent account then; said above)
    "recent": 2.8,
    # the mule-card model's score of the account (0 when it does not flag it)
    "flagged": 1.15,
}
#: (round thirteen) Platt scaling of the log-odds above (`ahead.log_odds`): a logistic
#: regression (scikit-learn, C = 1) of "a gang's card" on them, over every account that is a
#: lead on the training worlds of docs/gangs.md "Round thirteen: cards"
#: (`python -m training.gangs.fit_ahead`)
SCALE = 1.2
SHIFT = 1.74
