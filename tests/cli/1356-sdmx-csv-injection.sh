# sdmx read/structure: a code or a name that a spreadsheet would run as a formula is written with
# a single quote before it (OWASP CSV injection), in the data and in the structure listing.
printf 'DATAFLOW,REF_AREA,TIME_PERIOD,OBS_VALUE,OBS_STATUS\nE:X(1.0),=HYPERLINK("http://x"),2020,1,@p\nE:X(1.0),IT,2020,2,\n' >"$T/inj.csv"
sol sdmx read "$T/inj.csv"
expect_exit 0
expect_out "^\"'=HYPERLINK\(\"\"http://x\"\"\)\",2020,1,\"'@p\"$"
expect_out '^IT,2020,2,$'
cat >"$T/s.xml" <<'XML'
<?xml version="1.0"?>
<m:Structure xmlns:m="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
  xmlns:s="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure"
  xmlns:c="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">
 <m:Structures><s:Codelists><s:Codelist id="CL" agencyID="X" version="1.0">
  <c:Name xml:lang="en">+cmd|' /C calc'!A0</c:Name>
  <s:Code id="A"><c:Name xml:lang="en">=1+1</c:Name></s:Code>
 </s:Codelist></s:Codelists></m:Structures>
</m:Structure>
XML
sol sdmx structure "$T/s.xml"
expect_exit 0
expect_out "^codelist,X,CL,,,,\"'\+cmd\|' /C calc'!A0\"$"
expect_out "^code,X,A,,,CL,\"'=1\+1\"$"
