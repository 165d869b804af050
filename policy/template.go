package policy

import (
	"fmt"
	"strconv"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
)

// template is a message or remediation: literal text and {{expression}}
// placeholders, each a CEL expression compiled in the rule's environment.
type template struct {
	parts []templatePart
}

type templatePart struct {
	text string
	prog cel.Program // nil for literal text
	expr string
}

// placeholderError is a mistake in a template: where in the text
// (the line, from 1) and what.
type placeholderError struct {
	line int
	msg  string
}

// parseTemplate splits text at "{{" and "}}" and compiles each
// placeholder. A literal "{{" is written {{'{{'}}.
func parseTemplate(env *cel.Env, text string) (*template, []placeholderError) {
	t := &template{}
	var errs []placeholderError
	rest := text
	offset := 0
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			if strings.Contains(rest, "}}") {
				errs = append(errs, placeholderError{lineAt(text, offset+strings.Index(rest, "}}")), `"}}" without "{{"`})
			}
			t.parts = append(t.parts, templatePart{text: rest})
			return t, errs
		}
		if i > 0 {
			if strings.Contains(rest[:i], "}}") {
				errs = append(errs, placeholderError{lineAt(text, offset+strings.Index(rest, "}}")), `"}}" without "{{"`})
			}
			t.parts = append(t.parts, templatePart{text: rest[:i]})
		}
		j := closing(rest[i+2:])
		if j < 0 {
			errs = append(errs, placeholderError{lineAt(text, offset+i), `"{{" without "}}"`})
			return t, errs
		}
		expr := rest[i+2 : i+2+j]
		start := lineAt(text, offset+i+2)
		ast, iss := env.Compile(strings.TrimSpace(expr))
		if iss.Err() != nil {
			for _, e := range iss.Errors() {
				// the expression was trimmed: its first line is the
				// first non-blank one
				lead := strings.Count(expr[:len(expr)-len(strings.TrimLeft(expr, " \t\r\n"))], "\n")
				errs = append(errs, placeholderError{start + lead + e.Location.Line() - 1, "{{" + strings.TrimSpace(expr) + "}}: " + e.Message})
			}
		} else if prog, err := env.Program(ast, cel.EvalOptions(cel.OptOptimize)); err != nil {
			errs = append(errs, placeholderError{start, err.Error()})
		} else {
			t.parts = append(t.parts, templatePart{prog: prog, expr: strings.TrimSpace(expr)})
		}
		consumed := i + 2 + j + 2
		offset += consumed
		rest = rest[consumed:]
	}
}

// closing finds the "}}" that ends a placeholder, skipping quoted text.
func closing(s string) int {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '}' && i+1 < len(s) && s[i+1] == '}':
			return i
		}
	}
	return -1
}

func lineAt(text string, off int) int {
	if off > len(text) {
		off = len(text)
	}
	return strings.Count(text[:off], "\n") + 1
}

// render evaluates the placeholders against act and joins the parts.
func (t *template) render(act any) (string, error) {
	if len(t.parts) == 1 && t.parts[0].prog == nil {
		return t.parts[0].text, nil
	}
	var b strings.Builder
	for _, p := range t.parts {
		if p.prog == nil {
			b.WriteString(p.text)
			continue
		}
		v, _, err := p.prog.Eval(act)
		if err != nil {
			return "", fmt.Errorf("{{%s}}: %w", p.expr, err)
		}
		b.WriteString(display(v))
	}
	return b.String(), nil
}

// display writes a CEL value for a message: text as it is, lists joined
// with ", ", null as nothing.
func display(v ref.Val) string {
	switch x := v.(type) {
	case types.String:
		return string(x)
	case types.Null:
		return ""
	case types.Double:
		return strconv.FormatFloat(float64(x), 'f', -1, 64)
	case traits.Lister:
		var parts []string
		for it := x.Iterator(); it.HasNext() == types.True; {
			parts = append(parts, display(it.Next()))
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(v.Value())
}
