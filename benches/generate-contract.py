"""Writes a large generated contract (N indicators, each with a payment) to stdout, for benches/check.sh."""
import sys

n = int(sys.argv[1])
weight = f"{100 / n:.6f}".rstrip("0").rstrip(".")
out = sys.stdout
out.write('contract "Generated" {\n  term 2016-04-01 to 2021-03-31\n  value £76,000,000 per year\n'
          '  at risk 10% of value\n  payments continue 6 months after the term\n}\n')
for i in range(n):
    out.write(f'''indicator ind_{i} "Indicator {i}" {{
  unit percent
  better higher
  reported quarterly
  data lag 2 months
  baseline 70% in 2014/15
  target 80%
}}
payment pay_{i} "Payment {i}" {{
  weight {weight}%
  on ind_{i}
  tiers {{
    below 60% pays nothing
    60% to 80% pays linear 0% to 100%
    80% and above pays 100%
  }}
  paid 30 days after data
}}
''')
