package sim

// serviceSpec describes how people talk about one catalog service on an ordinary day.
type serviceSpec struct {
	id       string
	category string // picks the ordinary phrasing: ai, image, code, cloud, social, gaming, ...
	// forms are the ways people write the name, with weights (typos included: the
	// crowd does not always spell it the way the catalog does).
	forms     []string
	formW     []float64
	formTable weighted
	// base is ordinary mentions per minute at mean activity, at scale 1.
	base float64
	// background is genuine complaints per hour at mean activity outside any incident:
	// somebody's wifi, a one-off error, a bad deploy that hit ten people.
	background float64
	profile    int
	tilts      map[string]float64 // region name -> audience multiplier
	hashtags   []string           // used in complaints
	errors     []string           // error messages users quote
	vendor     string             // who answers for it ("OpenAI")
	handle     string             // the vendor's account, for "@OpenAI fix it"
	alts       []string           // where its users go when it is down
	altW       []float64
	altTable   weighted
}

func (s *serviceSpec) tilt(region string) float64 {
	if t, ok := s.tilts[region]; ok {
		return t
	}
	return 1
}

// catalog returns the simulated services. The ids are the catalog slugs of DESIGN.md.
// base rates add up to about 33 ordinary mentions a minute at scale 1.
func catalog() []*serviceSpec {
	generic := []string{"502 Bad Gateway", "503 Service Unavailable", "Internal Server Error", "Something went wrong", "network error"}
	svcs := []*serviceSpec{
		{id: "chatgpt", category: "ai", base: 7.5, background: 6, profile: profileGeneral,
			forms:    []string{"ChatGPT", "chatgpt", "Chatgpt", "Chat GPT", "#ChatGPT", "OpenAI", "GPT-4o", "chat.openai.com", "ChatGTP", "@ChatGPTapp"},
			formW:    []float64{55, 14, 4, 3, 8, 6, 3, 2, 1, 1},
			hashtags: []string{"#ChatGPTdown", "#ChatGPT", "#OpenAI", "#ChatGPTDown"},
			errors: []string{"Something went wrong", "network error", "ChatGPT is at capacity right now",
				"An error occurred. Either the engine you requested does not exist or there was another issue processing your request",
				"Hmm...something seems to have gone wrong.", "error in body stream", "Too many requests in 1 hour. Try again later.",
				"502 Bad Gateway", "Internal Server Error"},
			vendor: "OpenAI", handle: "@OpenAI",
			alts: []string{"claude", "perplexity", "gemini", "copilot", "meta-ai", "mistral"},
			altW: []float64{40, 24, 18, 10, 5, 3}},
		{id: "claude", category: "ai", base: 1.8, background: 1.5, profile: profileGeneral,
			forms:    []string{"Claude", "claude", "claude.ai", "#Claude", "Anthropic", "Claude 3 Opus", "@AnthropicAI"},
			formW:    []float64{62, 12, 8, 4, 7, 4, 3},
			hashtags: []string{"#ClaudeDown", "#Claude", "#Anthropic"},
			errors: []string{"Internal server error", "Failed to fetch", "Due to unexpected capacity constraints, Claude is unable to respond to your message",
				"Claude will return soon", "Error 500", "Something went wrong"},
			vendor: "Anthropic", handle: "@AnthropicAI",
			alts: []string{"chatgpt", "gemini", "perplexity"}, altW: []float64{60, 25, 15}},
		{id: "perplexity", category: "ai", base: 0.8, background: 0.7, profile: profileGeneral,
			forms:    []string{"Perplexity", "perplexity", "Perplexity AI", "perplexity.ai", "#Perplexity", "@perplexity_ai"},
			formW:    []float64{60, 14, 10, 8, 4, 4},
			hashtags: []string{"#PerplexityDown", "#Perplexity", "#PerplexityAI"},
			errors:   []string{"Something went wrong", "502 Bad Gateway", "Network error", "An error occurred, please try again"},
			vendor:   "Perplexity", handle: "@perplexity_ai",
			alts: []string{"chatgpt", "claude", "gemini"}, altW: []float64{50, 30, 20}},
		{id: "gemini", category: "ai", base: 1.4, background: 1, profile: profileGeneral,
			forms:    []string{"Gemini", "Google Gemini", "gemini", "Bard", "#Gemini"},
			formW:    []float64{55, 20, 12, 8, 5},
			hashtags: []string{"#GeminiDown", "#Gemini", "#GoogleGemini"},
			errors:   []string{"Something went wrong", "I'm having a hard time fulfilling your request", "Error 500"},
			vendor:   "Google", handle: "@GoogleAI"},
		{id: "copilot", category: "ai", base: 1.0, background: 0.8, profile: profileWork,
			forms:    []string{"Copilot", "GitHub Copilot", "Microsoft Copilot", "copilot", "#Copilot"},
			formW:    []float64{45, 25, 15, 10, 5},
			hashtags: []string{"#CopilotDown", "#Copilot", "#GitHubCopilot"},
			errors:   generic, vendor: "Microsoft", handle: "@Copilot"},
		{id: "meta-ai", category: "ai", base: 0.35, background: 0.3, profile: profileGeneral,
			forms: []string{"Meta AI", "meta ai", "Llama 3", "#MetaAI"}, formW: []float64{60, 15, 20, 5},
			hashtags: []string{"#MetaAI"}, errors: generic, vendor: "Meta", handle: "@AIatMeta"},
		{id: "mistral", category: "ai", base: 0.25, background: 0.2, profile: profileGeneral,
			forms: []string{"Mistral", "Le Chat", "Mistral AI", "@MistralAI"}, formW: []float64{50, 25, 20, 5},
			tilts:    map[string]float64{"western-europe": 4, "us-east": 0.6, "us-west": 0.6, "japan": 0.3},
			hashtags: []string{"#MistralAI", "#LeChat"}, errors: generic, vendor: "Mistral AI", handle: "@MistralAI"},
		{id: "deepseek", category: "ai", base: 0.12, background: 0.1, profile: profileGeneral,
			forms: []string{"DeepSeek", "deepseek", "DeepSeek Coder"}, formW: []float64{60, 25, 15},
			tilts:    map[string]float64{"southeast-asia": 3, "india": 2},
			hashtags: []string{"#DeepSeek"}, errors: generic, vendor: "DeepSeek", handle: "@deepseek_ai"},
		{id: "grok", category: "ai", base: 0.35, background: 0.3, profile: profileGeneral,
			forms: []string{"Grok", "grok", "@grok"}, formW: []float64{70, 20, 10},
			hashtags: []string{"#Grok"}, errors: generic, vendor: "xAI", handle: "@xai"},
		{id: "character-ai", category: "ai", base: 0.4, background: 0.5, profile: profileLeisure,
			forms: []string{"Character.AI", "character ai", "c.ai", "CharacterAI"}, formW: []float64{45, 25, 20, 10},
			hashtags: []string{"#CharacterAI", "#cai"}, errors: []string{"Something went wrong", "The server is busy", "Error 500"},
			vendor: "Character.AI", handle: "@character_ai"},
		{id: "midjourney", category: "image", base: 0.5, background: 0.4, profile: profileGeneral,
			forms: []string{"Midjourney", "midjourney", "MJ v6", "#midjourney"}, formW: []float64{60, 20, 10, 10},
			hashtags: []string{"#midjourney", "#MidjourneyDown"}, errors: []string{"Interaction failed", "Job queued", "Internal error"},
			vendor: "Midjourney", handle: "@midjourney"},
		{id: "github", category: "code", base: 1.6, background: 1.2, profile: profileWork,
			forms: []string{"GitHub", "github", "Github", "github.com", "GH"}, formW: []float64{55, 20, 12, 8, 5},
			hashtags: []string{"#GitHubDown", "#GitHub"}, errors: []string{"Unicorn! 503", "This page is taking too long to load", "500 Internal Server Error", "fatal: unable to access"},
			vendor: "GitHub", handle: "@github"},
		{id: "discord", category: "community", base: 1.5, background: 1.5, profile: profileLeisure,
			forms: []string{"Discord", "discord", "#Discord"}, formW: []float64{65, 30, 5},
			hashtags: []string{"#DiscordDown", "#Discord"}, errors: []string{"Awaiting Endpoint", "RTC Connecting", "Messages failed to load", "502 Bad Gateway"},
			vendor: "Discord", handle: "@discord"},
		{id: "slack", category: "workchat", base: 0.7, background: 0.8, profile: profileWork,
			forms: []string{"Slack", "slack", "#Slack"}, formW: []float64{70, 25, 5},
			hashtags: []string{"#SlackDown", "#Slack"}, errors: []string{"Slack is having trouble connecting", "Trying to connect...", "Messages not sending"},
			vendor: "Slack", handle: "@SlackHQ"},
		{id: "zoom", category: "meetings", base: 0.6, background: 0.6, profile: profileWork,
			forms: []string{"Zoom", "zoom", "Zoom call"}, formW: []float64{60, 25, 15},
			hashtags: []string{"#ZoomDown", "#Zoom"}, errors: []string{"Error code 5003", "Unable to connect", "Meeting is unable to start"},
			vendor: "Zoom", handle: "@Zoom"},
		{id: "aws", category: "cloud", base: 0.6, background: 0.5, profile: profileWork,
			forms: []string{"AWS", "aws", "us-east-1", "Amazon Web Services"}, formW: []float64{60, 15, 15, 10},
			hashtags: []string{"#AWSdown", "#AWS"}, errors: []string{"503 Service Unavailable", "Internal Server Error", "throttling errors"},
			vendor: "AWS", handle: "@awscloud"},
		{id: "cloudflare", category: "cloud", base: 0.35, background: 0.3, profile: profileWork,
			forms: []string{"Cloudflare", "cloudflare", "CF"}, formW: []float64{70, 25, 5},
			hashtags: []string{"#CloudflareDown", "#Cloudflare"}, errors: []string{"500 Internal Server Error", "Please unblock challenges.cloudflare.com to proceed", "Error 1105"},
			vendor: "Cloudflare", handle: "@Cloudflare"},
		{id: "google", category: "search", base: 1.2, background: 1, profile: profileGeneral,
			forms: []string{"Google", "google", "Gmail", "Google Search"}, formW: []float64{55, 20, 15, 10},
			hashtags: []string{"#GoogleDown", "#Google"}, errors: []string{"502. That's an error.", "Something went wrong", "Temporary Error (500)"},
			vendor: "Google", handle: "@Google"},
		{id: "youtube", category: "video", base: 2.2, background: 2, profile: profileLeisure,
			forms: []string{"YouTube", "youtube", "Youtube", "YT"}, formW: []float64{60, 20, 12, 8},
			hashtags: []string{"#YouTubeDown", "#YouTube"}, errors: []string{"An error occurred. Please try again later.", "Something went wrong", "Playback ID error"},
			vendor: "YouTube", handle: "@TeamYouTube"},
		{id: "x", category: "social", base: 1.8, background: 1.5, profile: profileGeneral,
			forms: []string{"Twitter", "X", "twitter", "x.com", "the bird app"}, formW: []float64{35, 35, 15, 10, 5},
			hashtags: []string{"#TwitterDown", "#Xdown"}, errors: []string{"Something went wrong. Try reloading.", "Rate limit exceeded", "Tweets aren't loading right now"},
			vendor: "X", handle: "@Support"},
		{id: "instagram", category: "social", base: 1.2, background: 1.2, profile: profileLeisure,
			forms: []string{"Instagram", "instagram", "Insta", "IG"}, formW: []float64{55, 20, 15, 10},
			hashtags: []string{"#InstagramDown", "#Instagram"}, errors: []string{"Couldn't refresh feed", "Sorry, something went wrong"},
			vendor: "Meta", handle: "@instagram"},
		{id: "whatsapp", category: "messaging", base: 1.1, background: 1.2, profile: profileGeneral,
			forms: []string{"WhatsApp", "whatsapp", "Whatsapp", "WA"}, formW: []float64{60, 20, 15, 5},
			tilts:    map[string]float64{"brazil": 3, "india": 2.5, "western-europe": 1.5, "mexico": 2, "us-east": 0.5, "us-west": 0.5},
			hashtags: []string{"#WhatsAppDown", "#WhatsApp"}, errors: []string{"Connecting...", "Messages not delivering", "Couldn't send message"},
			vendor: "WhatsApp", handle: "@WhatsApp"},
		{id: "reddit", category: "social", base: 1.1, background: 1, profile: profileGeneral,
			forms: []string{"Reddit", "reddit", "r/all", "old reddit"}, formW: []float64{55, 30, 8, 7},
			hashtags: []string{"#RedditDown", "#Reddit"}, errors: []string{"Our CDN was unable to reach our servers", "Something went wrong", "503"},
			vendor: "Reddit", handle: "@Reddit"},
		{id: "netflix", category: "streaming", base: 1.4, background: 1.2, profile: profileLeisure,
			forms: []string{"Netflix", "netflix", "#Netflix"}, formW: []float64{70, 25, 5},
			hashtags: []string{"#NetflixDown", "#Netflix"}, errors: []string{"Error NW-2-5", "Something went wrong", "We're having trouble playing this title right now"},
			vendor: "Netflix", handle: "@Netflix"},
		{id: "steam", category: "gaming", base: 1.1, background: 1.2, profile: profileLeisure,
			forms: []string{"Steam", "steam", "Steam store", "#Steam"}, formW: []float64{65, 15, 15, 5},
			hashtags: []string{"#SteamDown", "#Steam"}, errors: []string{"error code -118", "No connection", "Steam is down for maintenance"},
			vendor: "Valve", handle: "@Steam"},
		{id: "psn", category: "gaming", base: 0.5, background: 0.6, profile: profileLeisure,
			forms: []string{"PSN", "PlayStation Network", "psn", "PlayStation"}, formW: []float64{50, 25, 15, 10},
			hashtags: []string{"#PSNDown", "#PlayStation"}, errors: []string{"Error WS-116522-7", "Can't connect to the server for PSN", "CE-33991-5"},
			vendor: "PlayStation", handle: "@AskPlayStation"},
	}
	for _, s := range svcs {
		s.formTable = newWeighted(s.formW)
		if len(s.alts) > 0 {
			s.altTable = newWeighted(s.altW)
		}
	}
	return svcs
}
