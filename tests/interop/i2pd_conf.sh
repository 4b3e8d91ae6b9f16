# Sourced by the interop scripts. i2pd_isolation_sections [ZIPFILE]: prints the i2pd.conf
# sections that keep a test i2pd to itself: every local service off, no UPnP, no reseed
# server (only ZIPFILE, when given, with a threshold that makes i2pd read it at start), no
# address book fetches, no NTP, no mesh networks (../shared/tools/i2pd-testnet/README.md
# explains each). The caller writes the general section and the transports first.
i2pd_isolation_sections() {
  local zipfile=${1:-} threshold=0
  [ -n "$zipfile" ] && threshold=25 # i2pd reseeds at start only below this many routers
  cat <<CONF
[http]
enabled = false
[httpproxy]
enabled = false
[socksproxy]
enabled = false
[sam]
enabled = false
[bob]
enabled = false
[i2cp]
enabled = false
[i2pcontrol]
enabled = false
[upnp]
enabled = false
[reseed]
verify = true
threshold = $threshold
urls =
yggurls =
file =
zipfile = $zipfile
[addressbook]
enabled = false
defaulturl =
subscriptions =
[nettime]
enabled = false
ntpservers =
[meshnets]
yggdrasil = false
[trust]
enabled = false
CONF
}
