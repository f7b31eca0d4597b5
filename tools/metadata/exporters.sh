# Sourced by generate.sh: one block per pack. Ports are 127.0.0.1:1xxxx to stay out of the way
# of services that may already run; every process goes through start() (bounded, stopped on exit).
W=$work

if wanted node_exporter; then
  start node prometheus-node-exporter --web.listen-address=127.0.0.1:19100 \
    --collector.systemd --collector.processes --collector.tcpstat --collector.interrupts --collector.ksmd \
    --collector.meminfo_numa --collector.mountstats --collector.ethtool --collector.cpu.info
  pack node_exporter prometheus-node-exporter http://127.0.0.1:19100/metrics; stop_all
fi

if wanted postgres_exporter; then
  pg_ctlcluster 15 main start
  start pgexp runuser -u postgres -- env DATA_SOURCE_NAME="user=postgres host=/var/run/postgresql sslmode=disable" \
    prometheus-postgres-exporter --web.listen-address=127.0.0.1:19187 --extend.query-path=/usr/share/doc/prometheus-postgres-exporter/examples/queries.yaml
  sleep 3
  pack postgres_exporter prometheus-postgres-exporter http://127.0.0.1:19187/metrics; stop_all
  pg_ctlcluster 15 main stop
fi

# No pgbouncer_exporter pack: Debian 12's prometheus-pgbouncer-exporter stops on pgbouncer 1.18's
# SHOW STATS (it fails with KeyError 'total_requests').


if wanted mysqld_exporter; then
  mkdir -p /run/mysqld && chown mysql /run/mysqld
  start mariadb mariadbd --user=mysql --bind-address=127.0.0.1 --port=13306 --socket=/run/mysqld/pv.sock --skip-log-bin \
    --performance-schema=ON
  for _ in $(seq 40); do [[ -S /run/mysqld/pv.sock ]] && break; sleep 0.5; done
  sleep 1
  collect=(--collect.info_schema.processlist --collect.info_schema.tables --collect.info_schema.innodb_metrics
    --collect.info_schema.innodb_tablespaces --collect.info_schema.innodb_cmp --collect.info_schema.innodb_cmpmem
    --collect.info_schema.query_response_time --collect.info_schema.userstats --collect.info_schema.clientstats
    --collect.info_schema.tablestats --collect.info_schema.schemastats --collect.perf_schema.tableiowaits
    --collect.perf_schema.indexiowaits --collect.perf_schema.tablelocks --collect.perf_schema.eventsstatements
    --collect.perf_schema.eventsstatementssum --collect.perf_schema.eventswaits --collect.perf_schema.file_events
    --collect.perf_schema.file_instances --collect.perf_schema.memory_events --collect.auto_increment.columns
    --collect.binlog_size --collect.engine_innodb_status --collect.global_status --collect.global_variables
    --collect.slave_status)
  supported=()
  help=$(prometheus-mysqld-exporter --help 2>&1)
  for c in "${collect[@]}"; do grep -q -- "${c#--}" <<<"$help" && supported+=("$c"); done
  start mysqlexp env DATA_SOURCE_NAME='root@unix(/run/mysqld/pv.sock)/' \
    prometheus-mysqld-exporter --web.listen-address=127.0.0.1:19104 "${supported[@]}"
  pack mysqld_exporter prometheus-mysqld-exporter http://127.0.0.1:19104/metrics; stop_all
fi

if wanted redis_exporter; then
  start redis redis-server --port 16379 --bind 127.0.0.1 --save '' --appendonly no
  start redisexp prometheus-redis-exporter -redis.addr redis://127.0.0.1:16379 -web.listen-address 127.0.0.1:19121
  sleep 2
  pack redis_exporter prometheus-redis-exporter http://127.0.0.1:19121/metrics; stop_all
fi

if wanted nginx_exporter || wanted varnish_exporter || wanted blackbox_exporter || wanted process_exporter; then
  mkdir -p "$W/nginx"
  cat >"$W/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $W/nginx/nginx.pid;
error_log $W/nginx/error.log;
events {}
http {
  access_log off;
  client_body_temp_path $W/nginx; proxy_temp_path $W/nginx; fastcgi_temp_path $W/nginx;
  uwsgi_temp_path $W/nginx; scgi_temp_path $W/nginx;
  server { listen 127.0.0.1:18080; location /stub_status { stub_status; } location / { return 200 "ok\n"; } }
}
CONF
  start nginx nginx -c "$W/nginx/nginx.conf" -g 'daemon off;'
  wait_http http://127.0.0.1:18080/
  if wanted nginx_exporter; then
    start nginxexp prometheus-nginx-exporter -nginx.scrape-uri http://127.0.0.1:18080/stub_status \
      -web.listen-address 127.0.0.1:19113
    pack nginx_exporter prometheus-nginx-exporter http://127.0.0.1:19113/metrics
  fi
  if wanted varnish_exporter; then
    start varnishd varnishd -F -a 127.0.0.1:16081 -b 127.0.0.1:18080 -n "$W/varnish" -s malloc,16m
    sleep 3; curl -s -o /dev/null http://127.0.0.1:16081/
    start varnishexp prometheus-varnish-exporter -n "$W/varnish" -web.listen-address 127.0.0.1:19131
    pack varnish_exporter prometheus-varnish-exporter http://127.0.0.1:19131/metrics
  fi
  if wanted blackbox_exporter; then
    start blackbox prometheus-blackbox-exporter --config.file=/etc/prometheus/blackbox.yml --web.listen-address=127.0.0.1:19115
    pack blackbox_exporter prometheus-blackbox-exporter http://127.0.0.1:19115/metrics \
      'http://127.0.0.1:19115/probe?module=http_2xx&target=http://127.0.0.1:18080/' \
      'http://127.0.0.1:19115/probe?module=tcp_connect&target=127.0.0.1:18080' \
      'http://127.0.0.1:19115/probe?module=icmp&target=127.0.0.1'
  fi
  if wanted process_exporter; then
    start procexp prometheus-process-exporter -procnames nginx,timeout,bash -web.listen-address 127.0.0.1:19256
    pack process_exporter prometheus-process-exporter http://127.0.0.1:19256/metrics
  fi
  stop_all
fi

if wanted haproxy_exporter || wanted haproxy; then
  cat >"$W/haproxy.cfg" <<CONF
global
  stats socket $W/haproxy.sock mode 600 level admin
defaults
  mode http
  timeout connect 1s
  timeout client 5s
  timeout server 5s
frontend stats
  bind 127.0.0.1:18404
  stats enable
  stats uri /stats
  http-request use-service prometheus-exporter if { path /metrics }
frontend web
  bind 127.0.0.1:18405
  default_backend app
backend app
  server s1 127.0.0.1:18080 check
CONF
  start haproxy haproxy -f "$W/haproxy.cfg" -db
  wait_http http://127.0.0.1:18404/stats
  curl -s -o /dev/null http://127.0.0.1:18405/
  wanted haproxy && pack haproxy haproxy http://127.0.0.1:18404/metrics
  if wanted haproxy_exporter; then
    start haproxyexp prometheus-haproxy-exporter '--haproxy.scrape-uri=http://127.0.0.1:18404/stats;csv' \
      --web.listen-address=127.0.0.1:19101
    sleep 2
    pack haproxy_exporter prometheus-haproxy-exporter http://127.0.0.1:19101/metrics
  fi
  stop_all
fi

if wanted apache_exporter; then
  mkdir -p "$W/apache"
  mods=/usr/lib/apache2/modules
  cat >"$W/apache/httpd.conf" <<CONF
ServerRoot $W/apache
ServerName localhost
Listen 127.0.0.1:18081
PidFile $W/apache/httpd.pid
ErrorLog $W/apache/error.log
LoadModule mpm_event_module $mods/mod_mpm_event.so
LoadModule authz_core_module $mods/mod_authz_core.so
LoadModule status_module $mods/mod_status.so
ExtendedStatus On
<Location /server-status>
  SetHandler server-status
  Require all granted
</Location>
CONF
  start apache env APACHE_RUN_DIR="$W/apache" apache2 -f "$W/apache/httpd.conf" -DFOREGROUND
  wait_http 'http://127.0.0.1:18081/server-status?auto'
  start apacheexp prometheus-apache-exporter '--scrape_uri=http://127.0.0.1:18081/server-status?auto' \
    --telemetry.address=127.0.0.1:19117
  pack apache_exporter prometheus-apache-exporter http://127.0.0.1:19117/metrics; stop_all
fi

if wanted bind_exporter; then
  mkdir -p "$W/bind" && chown bind "$W/bind"
  cat >"$W/bind/named.conf" <<CONF
options { directory "$W/bind"; listen-on port 15353 { 127.0.0.1; }; listen-on-v6 { none; }; pid-file "$W/bind/named.pid"; recursion no; };
statistics-channels { inet 127.0.0.1 port 18053 allow { 127.0.0.1; }; };
CONF
  start named named -g -c "$W/bind/named.conf" -u bind
  wait_http http://127.0.0.1:18053/
  start bindexp prometheus-bind-exporter --bind.stats-url=http://127.0.0.1:18053/ --web.listen-address=127.0.0.1:19119 \
    --bind.stats-groups=server,view,tasks
  pack bind_exporter prometheus-bind-exporter http://127.0.0.1:19119/metrics; stop_all
fi

if wanted squid_exporter; then
  mkdir -p "$W/squid" && chown proxy "$W/squid"
  cat >"$W/squid/squid.conf" <<CONF
http_port 127.0.0.1:13128
pid_filename $W/squid/squid.pid
access_log none
cache_log $W/squid/cache.log
cache_store_log none
coredump_dir $W/squid
http_access allow localhost manager
http_access deny all
CONF
  start squid squid -N -f "$W/squid/squid.conf"
  sleep 3
  start squidexp prometheus-squid-exporter -squid-hostname 127.0.0.1 -squid-port 13128 -listen 127.0.0.1:19301
  pack squid_exporter prometheus-squid-exporter http://127.0.0.1:19301/metrics; stop_all
fi

if wanted pushgateway; then
  start pushgw prometheus-pushgateway --web.listen-address=127.0.0.1:19091
  pack pushgateway prometheus-pushgateway http://127.0.0.1:19091/metrics; stop_all
fi

if wanted snmp_exporter; then
  start snmpexp prometheus-snmp-exporter --config.file=/etc/prometheus/snmp.yml --web.listen-address=127.0.0.1:19116
  pack snmp_exporter prometheus-snmp-exporter http://127.0.0.1:19116/metrics; stop_all
fi

if wanted prometheus || wanted alertmanager; then
  mkdir -p "$W/prom"
  cat >"$W/prom/prometheus.yml" <<CONF
global: {scrape_interval: 1s, evaluation_interval: 1s}
alerting: {alertmanagers: [{static_configs: [{targets: ['127.0.0.1:19093']}]}]}
rule_files: ['$W/prom/rules.yml']
scrape_configs:
  - {job_name: prometheus, static_configs: [{targets: ['127.0.0.1:19090']}]}
  - {job_name: alertmanager, static_configs: [{targets: ['127.0.0.1:19093']}]}
CONF
  printf 'groups:\n- name: g\n  rules:\n  - alert: Always\n    expr: vector(1)\n  - record: r\n    expr: up\n' >"$W/prom/rules.yml"
  start alertmanager prometheus-alertmanager --config.file=/etc/prometheus/alertmanager.yml \
    --storage.path="$W/am" --web.listen-address=127.0.0.1:19093 --cluster.listen-address=127.0.0.1:19094
  start prometheus prometheus --config.file="$W/prom/prometheus.yml" --storage.tsdb.path="$W/prom/data" \
    --web.listen-address=127.0.0.1:19090
  wait_http http://127.0.0.1:19090/-/ready
  sleep 8   # a few scrapes, rule evaluations and notifications
  wanted prometheus && pack prometheus prometheus http://127.0.0.1:19090/metrics
  wanted alertmanager && pack alertmanager prometheus-alertmanager http://127.0.0.1:19093/metrics
  stop_all
fi

if wanted etcd; then
  start etcd etcd --data-dir "$W/etcd" --listen-client-urls http://127.0.0.1:12379 \
    --advertise-client-urls http://127.0.0.1:12379 --listen-peer-urls http://127.0.0.1:12380 \
    --initial-advertise-peer-urls http://127.0.0.1:12380 --initial-cluster default=http://127.0.0.1:12380
  wait_http http://127.0.0.1:12379/health
  curl -s -X POST -d '{"key":"YQ==","value":"Yg=="}' http://127.0.0.1:12379/v3/kv/put -o /dev/null
  pack etcd etcd-server http://127.0.0.1:12379/metrics; stop_all
fi
