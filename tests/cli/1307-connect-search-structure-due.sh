# Discovery: search the dataflow names in the user's language (accents and case aside, every
# word), the structure of a dataflow; providers listed; the schedule (--every) makes a connector
# due until it is checked; remove.
. "$TOP/tests/cli/connect_lib.sh"
replay normal
sol connect providers
expect_exit 0; expect_out '^ISTAT,Istat,IT1,https://esploradati.istat.it/SDMXWS/rest,2.1,'; expect_out '^ESTAT,Eurostat,ESTAT,'
sol connect search SOCIO-EDUCATIVI infanzia --provider istat --lang it
expect_exit 0; expect_out '^47_850,Servizi  socio-educativi per la prima infanzia$'
sol connect search Educativì INFANZIA --provider ISTAT --lang it
expect_exit 0; expect_out '^47_850,'
sol connect search day-care --provider ISTAT --lang en
expect_exit 0; expect_out '^47_850,Socio-educational  services for infancy day-care$'
sol connect search poverty --provider ISTAT --lang en
expect_exit 0; expect_lines 1
sol connect structure ISTAT/47_850 --lang it
expect_exit 0; expect_out 'Servizi  socio-educativi'; expect_out '2. REF_AREA  CL_ITTER107'; expect_out 'TIME_PERIOD'
sol init
add_nidi --every 7d
expect_exit 0
sol refresh --due
expect_exit 0; expect_out '^nidi,new-version,1,'
sol refresh --due
expect_exit 0; expect_err "no connector is due"
sol connect remove nidi
expect_exit 0; expect_err "its source stays"
sol catalog
expect_out '^[0-9]+,nidi,1,current'
sol connect list
expect_lines 1
