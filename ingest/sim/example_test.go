package sim_test

import (
	"context"
	"fmt"
	"os"

	"github.com/outcry/outcry"
	"github.com/outcry/outcry/ingest/sim"
)

func ExampleWriteTruthCSV() {
	truth, err := sim.Truth(sim.DefaultConfig())
	if err != nil {
		panic(err)
	}
	if err := sim.WriteTruthCSV(os.Stdout, truth); err != nil {
		panic(err)
	}
	// Output:
	// service,start_utc,end_utc,source,title
	// chatgpt,2024-06-04T06:49:00Z,2024-06-04T11:10:00Z,https://status.openai.com/incidents/rs49lmsh6xxw,"ChatGPT unavailable (overnight US, morning Europe)"
	// chatgpt,2024-06-04T14:14:00Z,2024-06-04T17:07:00Z,https://status.openai.com/incidents/qvp3rhvc3vwk,ChatGPT unavailable (second outage)
	// perplexity,2024-06-04T14:30:00Z,2024-06-04T16:30:00Z,modelled on press reports of 4 June 2024,Perplexity failing while ChatGPT is down
	// claude,2024-06-04T14:53:00Z,2024-06-04T16:45:00Z,https://status.anthropic.com/incidents/gm6vlw4gc377,Partial outage on claude.ai and console.anthropic.com
}

func ExampleGenerate() {
	cfg := sim.Config{Scenario: "2024-06-04", Seed: 1, Scale: 0.1}
	posts := 0
	err := sim.Generate(context.Background(), cfg, func(p outcry.Post) error {
		if p.Author == "juliette_ia" {
			fmt.Println(p.CreatedAt.Format("15:04:05"), p.Lang, p.Text)
		}
		posts++
		return nil
	})
	fmt.Println(err, posts > 5000)
	// Output:
	// 15:07:23 fr ChatGPT, Claude, et Perplexity — trois services d'IA totalement différents — sont tous en panne en ce moment. Mais que se passe-t-il ?
	// <nil> true
}
