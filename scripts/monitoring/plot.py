#!/usr/bin/env python3
"""Render a healing event, as Prometheus saw it, to a PNG (docs/images/healing-event.png).

The data comes from a real run, never a mock-up: MonitoringE2ETest (sandbox API server + moto + the operator +
Debian's Prometheus scraping it every second) runs a scripted failure on a HealingCluster "web" of 2 machines on an
ElasticIpPool "edge-eips" of 1 address (so the pool is exhausted) and writes the event's series, read back from
Prometheus' query_range API, to a JSON file when AUTOHEAL_MONITORING_DUMP is set:
  1. the machine holding the pool's address is terminated behind the operator's back,
  2. the other machine of web is stopped (the operator replaces it: a remediation, reason Stopped),
  3. status writes of the second cluster "boot" are refused for a few seconds (JOSDK counts failed reconciliations).
Or point this script at a live Prometheus (--prometheus) and a namespace.
JOSDK's meters (panel 4) are labelled by controller only: they count every resource the operator watches, so in a
shared sandbox other namespaces' reconciliations show up there too.

matplotlib is not a project dependency; use a throwaway venv. To reproduce docs/images/healing-event.png:

    python3 -m venv /tmp/plotvenv && /tmp/plotvenv/bin/pip install matplotlib
    bash sandbox/up.sh && source .sandbox/env
    AUTOHEAL_MONITORING_DUMP=/tmp/mon-dump.json mvn -B test -Dtest=MonitoringE2ETest -Dsurefire.failIfNoSpecifiedTests=false
    /tmp/plotvenv/bin/python scripts/monitoring/plot.py --dump /tmp/mon-dump.json --out docs/images/healing-event.png

or, against a running Prometheus (no event markers then):

    /tmp/plotvenv/bin/python scripts/monitoring/plot.py --prometheus http://127.0.0.1:9090 --namespace NS \\
        --cluster web --pool edge-eips --minutes 10 --out docs/images/healing-event.png
"""
import argparse
import json
import time
import urllib.parse
import urllib.request
from datetime import datetime, timezone


def queries(ns, cluster, pool):
    return {
        "instances": f'max by (state) (autoheal_cluster_instances{{namespace="{ns}",cluster="{cluster}"}})',
        "ready": f'max(autoheal_cluster_ready_replicas{{namespace="{ns}",cluster="{cluster}"}})',
        "pool": f'max by (state) (autoheal_eip_pool_addresses{{namespace="{ns}",pool="{pool}"}})',
        "waiting": f'max(autoheal_eip_pool_waiting_instances{{namespace="{ns}",pool="{pool}"}})',
        "exhausted": f'max(autoheal_eip_pool_exhausted{{namespace="{ns}",pool="{pool}"}})',
        "remediations": f'sum by (reason) (autoheal_remediations_total{{namespace="{ns}",cluster="{cluster}"}})',
        "associations": f'sum by (outcome) (autoheal_eip_associations_total{{namespace="{ns}",pool="{pool}"}})',
        "alerts": f'max by (alertname, alertstate) (ALERTS{{namespace="{ns}"}})',
        "josdk_started": "sum by (controller_name) (reconciliations_started_total)",
        "josdk_failed": "sum by (controller_name) (reconciliations_failure_total)",
    }


def fetch(prom, ns, cluster, pool, minutes):
    end = int(time.time())
    start = end - minutes * 60
    series = {}
    for key, q in queries(ns, cluster, pool).items():
        url = f"{prom}/api/v1/query_range?" + urllib.parse.urlencode(
            {"query": q, "start": start, "end": end, "step": max(1, minutes * 60 // 600)})
        with urllib.request.urlopen(url, timeout=30) as r:
            series[key] = json.load(r)["data"]["result"]
    return {"namespace": ns, "start": start, "end": end, "events": {}, "series": series}


def ts(t):
    return datetime.fromtimestamp(float(t), tz=timezone.utc)


def lines(result, label=None):
    out = []
    for s in result:
        xs = [ts(t) for t, _ in s["values"]]
        ys = [float(v) for _, v in s["values"]]
        out.append((s["metric"].get(label, "") if label else "", xs, ys))
    return sorted(out, key=lambda x: x[0])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dump", help="JSON written by MonitoringE2ETest (AUTOHEAL_MONITORING_DUMP)")
    ap.add_argument("--prometheus", help="Prometheus base URL, instead of --dump")
    ap.add_argument("--namespace")
    ap.add_argument("--cluster", default="web")
    ap.add_argument("--pool", default="edge-eips")
    ap.add_argument("--minutes", type=int, default=10)
    ap.add_argument("--out", default="docs/images/healing-event.png")
    a = ap.parse_args()
    if a.dump:
        with open(a.dump) as f:
            data = json.load(f)
    elif a.prometheus and a.namespace:
        data = fetch(a.prometheus.rstrip("/"), a.namespace, a.cluster, a.pool, a.minutes)
    else:
        ap.error("give --dump FILE, or --prometheus URL --namespace NS")

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    s = data["series"]
    events = sorted(data.get("events", {}).items(), key=lambda e: e[1])
    t0, t1 = ts(data["start"]), ts(data["end"])
    fig, axes = plt.subplots(5, 1, figsize=(12, 13), sharex=True, constrained_layout=True,
                             gridspec_kw={"height_ratios": [3, 3, 2.4, 2.4, 1.3]})
    fig.suptitle(f"autoheal-operator: a scripted healing event as Prometheus scraped it (every 1 s)\n"
                 f"MonitoringE2ETest, namespace {data['namespace']}, {t0:%Y-%m-%d %H:%M:%S}–{t1:%H:%M:%S} UTC",
                 fontsize=12)

    # 1. the cluster. Equal values overlap: wide pale lines underneath, thin dark ones on top.
    ax = axes[0]
    style = {"desired": dict(color="grey", linestyle="--", linewidth=5, alpha=0.35),
             "healthy": dict(color="tab:green", linewidth=2.5),
             "unhealthy": dict(color="tab:red", linewidth=2),
             "starting": dict(color="tab:orange", linewidth=1.5, linestyle=":")}
    for state, xs, ys in lines(s["instances"], "state"):
        if state in style:
            ax.step(xs, ys, where="post", label=f"machines {state}", **style[state])
    for _, xs, ys in lines(s["ready"]):
        ax.step(xs, ys, where="post", label="ready replicas (running, healthy, has its EIP)", color="black", linewidth=1.2)
    ax.set_ylabel("machines")
    ax.set_ylim(-0.2, 2.6)
    ax.set_title(f"HealingCluster {a.cluster if not a.dump else 'web'}: autoheal_cluster_instances by state, "
                 "autoheal_cluster_ready_replicas", fontsize=10, loc="left")

    # 2. the pool
    ax = axes[1]
    for _, xs, ys in lines(s["exhausted"]):
        ax.fill_between(xs, 0, ys, step="post", alpha=0.10, color="tab:red", label="pool exhausted (gauge = 1)")
    pstyle = {"assigned": dict(color="tab:blue", linewidth=4, alpha=0.5), "free": dict(color="tab:green", linewidth=2),
              "foreign": dict(color="tab:purple", linewidth=1, linestyle=":")}
    for state, xs, ys in lines(s["pool"], "state"):
        ax.step(xs, ys, where="post", label=f"addresses {state}", **pstyle.get(state, {}))
    for _, xs, ys in lines(s["waiting"]):
        ax.step(xs, ys, where="post", label="machines waiting for an address", color="tab:red", linewidth=1.5, linestyle="--")
    ax.set_ylabel("addresses / machines")
    ax.set_ylim(-0.2, 1.6)
    ax.set_title("ElasticIpPool edge-eips (1 address, 2 machines): autoheal_eip_pool_addresses by state, "
                 "_waiting_instances, _exhausted", fontsize=10, loc="left")

    # 3. what the operator did
    ax = axes[2]
    for reason, xs, ys in lines(s["remediations"], "reason"):
        ax.step(xs, ys, where="post", label=f"remediations, reason {reason}", color="tab:red", linewidth=7, alpha=0.35)
    for outcome, xs, ys in lines(s["associations"], "outcome"):
        ax.step(xs, ys, where="post", label=f"EIP {outcome}", linestyle="--" if outcome == "disassociated" else "-",
                linewidth=1.5)
    ax.set_ylabel("count (counter value)")
    ax.set_ylim(bottom=0)
    ax.set_title("autoheal_remediations_total by reason, autoheal_eip_associations_total by outcome", fontsize=10, loc="left")

    # 4. JOSDK's own meters
    ax = axes[3]
    for ctrl, xs, ys in lines(s.get("josdk_failed", []), "controller_name"):
        ax.step(xs, ys, where="post", label=f"{ctrl}: reconciliations failed", color="tab:red", linewidth=2)
    started = {c: (xs, ys) for c, xs, ys in lines(s.get("josdk_started", []), "controller_name")}
    ax2 = ax.twinx()
    for ctrl, (xs, ys) in started.items():
        # per-second increase of the started counter over 5 s, read from the counter itself
        rx, ry = [], []
        for i in range(5, len(xs)):
            rx.append(xs[i])
            ry.append(max(0.0, ys[i] - ys[i - 5]) / (xs[i] - xs[i - 5]).total_seconds())
        ax2.plot(rx, ry, color="tab:blue" if ctrl == "healingcluster" else "tab:cyan", linewidth=1, alpha=0.7,
                 label=f"{ctrl}: reconciliations started per second (5 s window)")
    ax.set_ylabel("failed (counter value)")
    ax2.set_ylabel("started / s")
    ax.set_title("JOSDK's own meters: reconciliations_failure_total, rate of reconciliations_started_total "
                 "(AutohealReconcileErrors: failed / started)", fontsize=10, loc="left")
    h1, l1 = ax.get_legend_handles_labels()
    h2, l2 = ax2.get_legend_handles_labels()
    ax.legend(h1 + h2, l1 + l2, loc="upper left", fontsize=8, bbox_to_anchor=(1.06, 1.0))

    # 5. alerts, as Prometheus' ALERTS series (rules with `for:` shortened to 5 s in the test)
    ax = axes[4]
    names = sorted({x["metric"]["alertname"] for x in s.get("alerts", [])})
    for i, name in enumerate(names):
        for x in s["alerts"]:
            if x["metric"]["alertname"] != name:
                continue
            color = "tab:orange" if x["metric"]["alertstate"] == "pending" else "tab:red"
            for t, _ in x["values"]:
                ax.broken_barh([(ts(float(t)), ts(float(t) + 1) - ts(float(t)))], (i - 0.35, 0.7), color=color)
    ax.set_yticks(range(len(names)), names, fontsize=8)
    ax.set_ylim(-0.6, max(len(names), 1) - 0.4)
    ax.set_title("ALERTS (orange = pending, red = firing; `for:` shortened to 5 s in the test)", fontsize=10, loc="left")

    for ax in axes:
        for k, (label, when) in enumerate(events, 1):
            ax.axvline(ts(when), color="dimgrey", linestyle="-.", linewidth=1)
        if ax is not axes[3] and ax is not axes[4]:
            ax.legend(loc="upper left", fontsize=8, bbox_to_anchor=(1.06, 1.0))
        ax.grid(alpha=0.3)
    # the scripted steps, numbered at the top of the first panel and explained under the figure
    for k, (label, when) in enumerate(events, 1):
        axes[0].annotate(str(k), xy=(ts(when), 2.6), xytext=(3, -12), textcoords="offset points", fontsize=10,
                         fontweight="bold", color="dimgrey")
    if events:
        steps = [f"{k} = {label} at {ts(when):%H:%M:%S}" for k, (label, when) in enumerate(events, 1)]
        fig.text(0.01, 0.003, "Dash-dotted lines: " + ";  ".join(steps[:2]) + ";\n" + ";  ".join(steps[2:]),
                 fontsize=9, color="dimgrey")
    axes[-1].xaxis.set_major_formatter(mdates.DateFormatter("%H:%M:%S"))
    axes[-1].set_xlabel(f"time (UTC, {t0:%Y-%m-%d})" + ("\n\n" if events else ""))
    axes[-1].set_xlim(t0, t1)
    fig.savefig(a.out, dpi=100)
    print("wrote", a.out)


if __name__ == "__main__":
    main()
