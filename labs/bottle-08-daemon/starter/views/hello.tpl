Hello {{name}}, from process {{pid}}.
