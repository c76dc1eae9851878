// Command dashboard-check checks Squall's Grafana dashboard (deploy/grafana/squall.json) with
// Grafana's own schema (the Grafana Foundation SDK's strict decoding and validation) and
// Prometheus' own PromQL parser, and that every metric a query reads is one Squall exposes.
//
//	go run . ../../deploy/grafana/squall.json metrics.txt
//
// metrics.txt is what a Squall server answered on GET /metrics.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/plugins"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/prometheus/prometheus/promql/parser"
)

func main() {
	if len(os.Args) != 3 {
		fail("usage: dashboard-check DASHBOARD.json METRICS.txt")
	}
	raw, err := os.ReadFile(os.Args[1])
	check(err)
	exposition, err := os.ReadFile(os.Args[2])
	check(err)

	plugins.RegisterDefaultPlugins()
	var board dashboard.Dashboard
	if err := board.UnmarshalJSONStrict(raw); failed(err) {
		fail("not a Grafana dashboard: %v", err)
	}
	if err := board.Validate(); failed(err) {
		fail("the dashboard does not validate: %v", err)
	}

	exposed := map[string]bool{}
	for _, line := range strings.Split(string(exposition), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name := line
		if i := strings.IndexAny(line, "{ "); i >= 0 {
			name = line[:i]
		}
		exposed[name] = true
	}

	var doc struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	check(json.Unmarshal(raw, &doc))
	promql := parser.NewParser(parser.Options{})
	var problems []string
	queries := 0
	for _, panel := range doc.Panels {
		if len(panel.Targets) == 0 {
			problems = append(problems, fmt.Sprintf("%q has no query", panel.Title))
		}
		for _, target := range panel.Targets {
			queries++
			expr, err := promql.ParseExpr(target.Expr)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%q: %v", panel.Title, err))
				continue
			}
			parser.Inspect(expr, func(node parser.Node, _ []parser.Node) error {
				if selector, ok := node.(*parser.VectorSelector); ok && !exposed[selector.Name] {
					problems = append(problems, fmt.Sprintf("%q reads %s, which Squall does not expose", panel.Title, selector.Name))
				}
				return nil
			})
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		fail("%s", strings.Join(problems, "\n"))
	}
	fmt.Printf("%d panels, %d queries: valid, and every metric they read is exposed\n", len(doc.Panels), queries)
}

// failed tells a real error from the SDK's empty list of errors, which it returns as a non-nil
// error when there were none.
func failed(err error) bool {
	var built cog.BuildErrors
	if errors.As(err, &built) {
		return len(built) > 0
	}
	return err != nil
}

func check(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}
