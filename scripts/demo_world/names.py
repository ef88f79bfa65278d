"""Word lists used to name companies, people and things."""

FIRST_NAMES = (
    "Aaron Abby Adam Aisha Alan Alex Alice Amara Amir Ana Andre Andrea Anika Anna Arjun Ava Ben Bianca Blake Brian "
    "Carla Carlos Carmen Chen Chloe Chris Clara Daniel Dana David Diego Dmitri Elena Eli Elif Emma Eric Erin Ethan "
    "Fatima Felix Fiona Gabriel Grace Hana Hannah Hugo Ian Ines Isaac Isabel Ivan Jack Jade James Jana Jason Javier "
    "Jin Joao Jonas Jordan Julia Kai Karen Kenji Kevin Kim Lara Laura Leo Liam Lina Lucas Lucy Maria Marco Marie Mark "
    "Maya Mei Mia Michael Mohammed Nadia Nate Nina Noah Nora Olga Omar Oscar Paula Pedro Priya Rachel Rafael Ravi Rosa "
    "Ruth Ryan Sam Sara Sean Sofia Sophie Tariq Theo Tom Uma Victor Vera Wei Will Yara Yusuf Zoe"
).split()
LAST_NAMES = (
    "Abbott Adams Ahmed Alvarez Andersen Bauer Becker Bell Bianchi Brooks Brown Campbell Carter Castro Chen Clark "
    "Cohen Collins Costa Cruz Davies Diaz Dubois Evans Fischer Fleming Foster Garcia Gomez Green Gupta Hall Hansen "
    "Harris Hayes Hoffmann Hughes Ito Jansen Jensen Johnson Jones Kaur Keller Khan Kim Klein Kowalski Kumar Larsen "
    "Lee Lewis Lopez Martin Meyer Miller Moreau Morris Murphy Nakamura Nguyen Novak Okafor Olsen Park Patel Perez "
    "Peters Petrov Reed Reyes Richter Rivera Roberts Rossi Russo Sato Schmidt Schulz Silva Singh Smith Sousa "
    "Suzuki Tanaka Taylor Thomas Torres Turner Vogel Walker Wang Weber Wilson Wong Wright Yang Young Zhang"
).split()
COMPANY_A = (
    "Acme Apex Arbor Atlas Aurora Beacon Birch Blue Bold Bright Cascade Cedar Clear Cobalt Coral Crest Crimson Delta "
    "Echo Ember Evergreen Falcon Fern Flint Forge Fox Frontier Galaxy Garnet Granite Harbor Hawk Horizon Iron Ivory "
    "Jade Juniper Keystone Lake Lantern Linear Lumen Maple Meridian Mesa Nimbus North Nova Oak Orbit Pacific Peak "
    "Pine Pioneer Polar Prairie Prime Quartz Quill Radiant Raven Redwood Ridge River Rocket Sage Sierra Silver "
    "Slate Solar Sparrow Spruce Stellar Stone Summit Swift Terra Tidal Timber True Union Vector Velvet Vista Willow "
    "Zenith"
).split()
COMPANY_B = (
    "Analytics Bio Capital Cloud Commerce Consulting Data Designs Dynamics Energy Foods Freight Games Health "
    "Holdings Insights Labs Learning Logistics Media Medical Metrics Mobility Networks Partners Payments Robotics "
    "Security Software Solutions Studios Systems Technologies Therapeutics Travel Ventures Works"
).split()
COMPANY_SUFFIX = ("Inc", "LLC", "Ltd", "GmbH", "Group", "Co", "Corp", "")

INDUSTRIES = ("Technology", "Financial Services", "Healthcare", "Retail", "Manufacturing", "Education",
              "Media", "Professional Services", "Logistics", "Energy", "Hospitality", "Non-Profit")
INDUSTRY_SHARES = (0.26, 0.12, 0.10, 0.09, 0.09, 0.06, 0.06, 0.10, 0.05, 0.03, 0.02, 0.02)

# country, code, share, region (0 Americas, 1 EMEA, 2 APAC), zendesk time zone, locale,
# survey UTC offsets in minutes (a respondent's offset is drawn from these)
COUNTRIES = (
    ("United States", "US", 0.58, 0, "Eastern Time (US & Canada)", "en-US", (-300, -240, -360, -420)),
    ("United Kingdom", "GB", 0.10, 1, "London", "en-GB", (0, 60)),
    ("Germany", "DE", 0.08, 1, "Berlin", "de", (60, 120)),
    ("Canada", "CA", 0.06, 0, "Eastern Time (US & Canada)", "en-US", (-300, -240)),
    ("France", "FR", 0.05, 1, "Paris", "fr", (60, 120)),
    ("Australia", "AU", 0.04, 2, "Sydney", "en-US", (600, 660)),
    ("Netherlands", "NL", 0.03, 1, "Amsterdam", "nl", (60, 120)),
    ("Singapore", "SG", 0.03, 2, "Singapore", "en-US", (480,)),
    ("India", "IN", 0.03, 2, "New Delhi", "en-US", (330,)),
)
# mean session start hour in UTC by region
REGION_SESSION_HOUR_UTC = (16.5, 10.0, 3.0)

TITLES_CHAMPION = ("Operations Manager", "Head of Operations", "Director of Analytics", "Product Operations Lead",
                   "RevOps Manager", "Business Systems Manager")
TITLES_EXEC = ("VP Operations", "Chief Operating Officer", "VP Finance", "Chief Technology Officer",
               "VP Engineering", "Chief Revenue Officer")
TITLES_USER = ("Analyst", "Senior Analyst", "Operations Specialist", "Team Lead", "Engineer", "Project Manager",
               "Data Analyst", "Account Manager")

TICKET_TOPICS = (
    # subject, type, weight
    ("How do I share a report with my team?", "question", 1.0),
    ("Workflow run failed with an error", "incident", 1.0),
    ("Dashboard is loading slowly", "problem", 0.7),
    ("Integration stopped syncing", "incident", 0.8),
    ("Question about our invoice", "question", 0.5),
    ("Need to add more seats", "task", 0.3),
    ("Cannot log in / SSO issue", "incident", 0.5),
    ("Feature request: bulk export", "question", 0.4),
    ("API rate limit errors", "problem", 0.4),
    ("How to set up automations", "question", 0.6),
    ("Data looks wrong in report", "problem", 0.6),
    ("Please remove a user", "task", 0.3),
)

NPS_COMMENTS = (
    # detractors
    ("Too hard to get my team to use it.", "Support takes too long to answer.", "Missing features we need.",
     "It keeps breaking after updates.", ""),
    # passives
    ("Does the job.", "Good, but reporting could be better.", "Fine for now.", ""),
    # promoters
    ("Love the workflows!", "Saves us hours every week.", "Great product and great support.",
     "Our whole team relies on it.", ""),
)

EVENTS = ("signed_in", "dashboard_viewed", "report_created", "report_shared", "workflow_created",
          "workflow_completed", "automation_created", "integration_connected", "user_invited",
          "export_created", "comment_added", "api_called")
EVENT_TEXT = ("Signed In", "Dashboard Viewed", "Report Created", "Report Shared", "Workflow Created",
              "Workflow Completed", "Automation Created", "Integration Connected", "User Invited",
              "Export Created", "Comment Added", "API Called")
EVENT_PAGE = ("/login", "/dashboard", "/reports/new", "/reports", "/workflows/new", "/workflows",
              "/automations/new", "/settings/integrations", "/settings/team", "/exports", "/reports", None)
# events sent from the browser (analytics.js) carry an anonymous id and a page; the rest from the backend
EVENT_SERVER = (False, False, False, False, False, True, False, True, False, False, False, True)
EVENT_IDX = {e: i for i, e in enumerate(EVENTS)}
