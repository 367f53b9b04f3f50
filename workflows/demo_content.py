"""Texts of the demo items: motions and policy submissions about Labour International's concerns
(votes for life, overseas voters, the NHS, climate, branches). Steering-group proposals are
steering_groups.demo's.
"""

# title, notes, believes, resolves
MOTIONS = [
    ("Votes for Life for every British citizen abroad",
     "that the 15-year rule denied millions of British citizens abroad a vote for decades",
     "that citizenship, not postcode, should carry the right to vote",
     "to call on the Government to protect votes for life in law and to fund a registration drive abroad"),
    ("Automatic registration for overseas voters",
     "that overseas voters must re-register and renew their declaration every three years",
     "that the burden of registration keeps most eligible citizens abroad off the register",
     "to call for automatic renewal and an online register linked to passport records"),
    ("Secure postal and proxy voting from abroad",
     "that postal ballots regularly arrive abroad after polling day",
     "that a vote that cannot be cast in time is a vote denied",
     "to call for ballots to be sent out earlier, for electronic ballot delivery, and for easier proxy voting"),
    ("Overseas constituencies in the House of Commons",
     "that France, Italy and Portugal elect members of parliament for their citizens abroad",
     "that five million Britons abroad deserve direct representation",
     "to ask the GC to send to Conference a proposal for overseas constituencies"),
    ("Restore NHS access for returning citizens",
     "that citizens returning to the UK after years abroad face charges and delays for NHS care",
     "that the NHS is a right of every citizen, wherever they have worked",
     "to call for immediate NHS access for returning British citizens"),
    ("Fund NHS staffing with a long-term workforce plan",
     "the vacancies in nursing and general practice across the NHS",
     "that a fully staffed NHS is the foundation of good care",
     "to support a funded ten-year workforce plan with training places and fair pay"),
    ("Frozen pensions: uprate the state pension abroad",
     "that British pensioners in many countries have their state pension frozen at the rate of their first payment",
     "that a pension earned in the UK should rise with the cost of living wherever it is paid",
     "to call for the state pension to be uprated for every pensioner abroad"),
    ("A just transition to net zero",
     "the climate emergency and the jobs at stake in the move away from fossil fuels",
     "that workers and communities must share in the benefits of the green transition",
     "to support public investment in green industry with union-negotiated transition plans"),
    ("Climate finance for the Global South",
     "that the countries least responsible for climate change suffer its worst effects",
     "that the UK must keep its international climate finance promises",
     "to call for the climate finance commitment to be restored and increased"),
    ("Restore the aid budget to 0.7% of national income",
     "the cut of the aid budget from 0.7% to 0.5% of national income",
     "that the UK's standing in the world depends on keeping its promises",
     "to call for the 0.7% target to be restored in law"),
    ("Erasmus+ and youth mobility with Europe",
     "the loss of Erasmus+ for UK students and the barriers to young people working in Europe",
     "that young people should be free to study and work across Europe",
     "to support rejoining Erasmus+ and a youth mobility scheme with the EU"),
    ("Rights of UK citizens in the EU after Brexit",
     "the difficulties of British citizens in the EU with residence documents and healthcare",
     "that the rights promised in the Withdrawal Agreement must be delivered in practice",
     "to ask LI's representatives to press for a monitoring body that members can reach"),
    ("Family visas: end the minimum income requirement",
     "that British citizens abroad cannot return home with a foreign spouse unless they earn a high income",
     "that no one should have to choose between their country and their family",
     "to call for the minimum income requirement to be abolished"),
    ("Child benefit and tax credits for families abroad",
     "the confusion around benefits for families who move abroad temporarily",
     "that families working abroad for UK employers should not lose support",
     "to ask for clear guidance and fair rules for families abroad"),
    ("Build branches in every region",
     "that many members live far from any active branch",
     "that every member should be able to take part in a branch, online or in person",
     "to ask the Branch Development steering group to support online branches for scattered members"),
    ("Revive the Nordic branch",
     "that the Nordic branch has not met for two years",
     "that members in the Nordic countries deserve an active branch",
     "to hold an online revival meeting and elect interim officers"),
    ("Meetings at times that work in every time zone",
     "that GC meetings are held at times that exclude members in Asia and the Americas",
     "that an international party must meet at international times",
     "to rotate the time of GC meetings between three time-zone-friendly slots"),
    ("Hybrid meetings for branches",
     "that many members cannot travel to branch meetings",
     "that hybrid meetings widen participation",
     "to fund a videoconferencing licence for every branch that asks for one"),
    ("Trade union links for members abroad",
     "that members abroad lose contact with their UK trade unions",
     "that the labour movement is stronger when members stay organised",
     "to build links with unions in the countries where our members live"),
    ("Support for Ukrainian refugees",
     "the war in Ukraine and the millions of refugees in Europe",
     "that the UK must do its fair share",
     "to call for a simple, generous visa route for Ukrainian refugees"),
    ("Safe and legal routes for refugees",
     "the deaths in the Channel and the Mediterranean",
     "that safe routes save lives and undermine smugglers",
     "to call for safe and legal routes to asylum in the UK"),
    ("A living wage across the UK",
     "that millions of workers earn less than they need to live",
     "that work must pay",
     "to support a real living wage for all workers, including young workers"),
    ("Public ownership of rail",
     "the rising fares and poor service on privatised railways",
     "that railways are a public service",
     "to support bringing rail franchises into public ownership as they expire"),
    ("Affordable housing for returning citizens",
     "that citizens returning to the UK cannot access social housing because of residence tests",
     "that returning citizens should be treated as residents",
     "to call for an exemption from local connection rules for returning citizens"),
    ("Women's representation in LI",
     "that women are under-represented among branch officers",
     "that our party must look like the members it serves",
     "to offer officer training for women members and to review our meeting culture"),
    ("A members' charter for LI",
     "that members do not know how decisions are made in LI",
     "that transparency builds trust",
     "to publish a members' charter and the minutes of all GC meetings"),
    ("Digital security for members' data",
     "that members' data is special-category personal data",
     "that members must trust us with their data",
     "to adopt a data-protection policy and train every officer who handles member data"),
    ("Political education programme",
     "the demand from new members for political education",
     "that an educated membership is an active membership",
     "to run an online political education series open to all members"),
    ("Solidarity with workers in global supply chains",
     "the abuses of workers in the supply chains of UK companies",
     "that UK companies must answer for their supply chains",
     "to support a law requiring due diligence on human rights in supply chains"),
    ("Protect the BBC World Service",
     "the cuts to BBC World Service language services",
     "that the World Service is a voice of trusted news across the world",
     "to call for secure funding of the World Service"),
    ("Consular support for citizens in difficulty",
     "the long waits for consular support faced by citizens in difficulty abroad",
     "that citizens abroad should be able to rely on their embassy",
     "to call for funded consular services with a right to assistance"),
    ("Overseas voters' registration day",
     "that registration drives work best when they are focused",
     "that every branch can help fellow citizens register",
     "to hold an annual overseas voter registration day in every branch"),
    ("Mental health services in the NHS",
     "the long waiting lists for mental health treatment",
     "that mental health deserves parity with physical health",
     "to support guaranteed waiting times for mental health treatment"),
    ("A green new deal for coastal towns",
     "the decline of coastal towns and the potential of offshore wind",
     "that green industry can renew coastal communities",
     "to call for green investment to be targeted at coastal towns"),
]

# title, commission slug, text (paragraphs)
POLICY_SUBMISSIONS = [
    ("Votes for life and automatic registration", "democracy-and-constitution", [
        "Labour should legislate for a lasting right to vote for every British citizen abroad, and make "
        "registration automatic, using passport records.",
        "Overseas voters should receive their ballots electronically and be able to return them at any embassy.",
    ]),
    ("Representation for citizens abroad", "democracy-and-constitution", [
        "Create overseas constituencies so that citizens abroad elect MPs who answer to them.",
        "Until then, give every overseas voter a clear home constituency and an MP who takes their casework.",
    ]),
    ("NHS access for returning citizens", "health-and-care", [
        "Citizens returning to the UK should have immediate access to the NHS without charges.",
        "Clear guidance should be given to GP surgeries and hospitals on the rights of returning citizens.",
    ]),
    ("A workforce plan for health and care", "health-and-care", [
        "The NHS needs a funded workforce plan: training places, retention, fair pay and ethical recruitment.",
        "Social care workers need a national pay scale and a career path.",
    ]),
    ("The UK's place in Europe", "britain-in-the-world", [
        "Labour should seek a closer relationship with the EU: a veterinary agreement, youth mobility and Erasmus+.",
        "The rights of UK citizens in the EU must be monitored and defended.",
    ]),
    ("Restoring international development", "britain-in-the-world", [
        "Restore the 0.7% aid target and an independent department for international development.",
        "Aid should serve poverty reduction, not commercial interest.",
    ]),
    ("Frozen pensions", "economy-work-and-investment", [
        "State pensions must be uprated for every British pensioner, wherever they live.",
        "The cost is modest and the injustice is long-standing.",
    ]),
    ("Fair work in a global economy", "economy-work-and-investment", [
        "A law requiring due diligence on human rights and the environment in the supply chains of UK companies.",
        "Trade agreements should include enforceable labour standards.",
    ]),
    ("A just transition", "net-zero-and-environment", [
        "Public investment in green industry, with union-negotiated plans for workers in high-carbon sectors.",
        "Climate finance for the countries that suffer most from climate change.",
    ]),
    ("Green jobs for coastal communities", "net-zero-and-environment", [
        "Target offshore wind manufacturing at coastal towns, with apprenticeships for local young people.",
    ]),
    ("Languages and mobility in education", "education-and-skills", [
        "Rejoin Erasmus+ and fund modern language teaching in every state school.",
        "Recognise qualifications gained abroad by returning citizens.",
    ]),
    ("Lifelong learning", "education-and-skills", [
        "A lifelong learning entitlement for every adult, usable online from anywhere.",
    ]),
    ("Family migration rules", "democracy-and-constitution", [
        "Abolish the minimum income requirement for spouses of British citizens.",
        "British citizens must be free to come home with their families.",
    ]),
    ("Consular rights", "britain-in-the-world", [
        "A statutory right to consular assistance for British citizens abroad in serious difficulty.",
    ]),
]

COMMISSIONS = [
    ("britain-in-the-world", "Britain in the World"),
    ("democracy-and-constitution", "Democracy and Constitution"),
    ("economy-work-and-investment", "Economy, Work and Investment"),
    ("education-and-skills", "Education and Skills"),
    ("health-and-care", "Health and Care"),
    ("net-zero-and-environment", "Net Zero and Environment"),
]

# Demo members who propose and second (first name, last name, branch slug).
PROPOSERS = [
    ("Aisha", "Rahman", "paris"), ("Ben", "Carter", "paris"), ("Claire", "Dubois", "paris"),
    ("Daniel", "Okafor", "berlin"), ("Emma", "Schneider", "berlin"), ("Farid", "Haddad", "brussels"),
    ("Grace", "O'Neill", "brussels"), ("Hannah", "Visser", "netherlands"), ("Ian", "Morales", "madrid"),
    ("Joanna", "Pereira", "lisbon"), ("Kwame", "Mensah", "east-africa"), ("Laura", "Rossi", "italy"),
    ("Mark", "Brennan", "ireland"), ("Nadia", "Lindqvist", "nordic"), ("Oliver", "Chen", "hong-kong"),
    ("Priti", "Nair", "singapore"), ("Quentin", "Walsh", "sydney"), ("Rosa", "Martin", "melbourne"),
    ("Sam", "Taylor", "new-zealand"), ("Tom", "Jackson", "new-york"), ("Uma", "Patel", "washington-dc"),
    ("Victor", "Ramirez", "california"), ("Wendy", "Clarke", "toronto"), ("Yusuf", "Ali", "geneva"),
]


def motion_html(notes, believes, resolves, branch_title):
    return (
        f"<p><b>This branch notes</b> {notes}.</p>"
        f"<p><b>This branch believes</b> {believes}.</p>"
        f"<p><b>This branch resolves</b> {resolves}, and to send this motion to the General Committee of "
        f"Labour International for ratification. Proposed at the {branch_title} branch.</p>"
    )


def paragraphs_html(paragraphs):
    return "".join(f"<p>{p}</p>" for p in paragraphs)
