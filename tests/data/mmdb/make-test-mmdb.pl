#!/usr/bin/perl
# make-test-mmdb.pl OUTDIR - write two small MaxMind DB files for the
# report tests, shaped like MaxMind's GeoLite2-ASN and GeoLite2-Country
# (https://maxmind.github.io/MaxMind-DB/), covering the lab's documentation
# ranges only:
#
#   OUTDIR/test-asn.mmdb      database_type "Vigie-Test-ASN"
#   OUTDIR/test-country.mmdb  database_type "Vigie-Test-Country"
#
# Written with Debian's libmaxmind-db-writer-perl, at test time, so that
# the reports read a real file through the real libmaxminddb.  The build
# epoch is fixed (2024-11-25T00:00:00Z), so two runs write the same bytes.
# 203.0.113.0/24's organisation is hostile on purpose: a database is input
# too, and must come out of every report format as inert text.
use strict;
use utf8;
use warnings;

use MaxMind::DB::Writer::Tree;

my $dir = shift @ARGV or die "usage: $0 OUTDIR\n";
my $epoch = 1732492800;

my %types = (
	autonomous_system_number       => 'uint32',
	autonomous_system_organization => 'utf8_string',
	country                        => 'map',
	registered_country             => 'map',
	continent                      => 'map',
	iso_code                       => 'utf8_string',
	code                           => 'utf8_string',
	geoname_id                     => 'uint32',
	names                          => 'map',
	en                             => 'utf8_string',
	fr                             => 'utf8_string',
);

sub tree {
	my ($type, $desc) = @_;
	my $t = MaxMind::DB::Writer::Tree->new(
		ip_version               => 6,
		record_size              => 24,
		database_type            => $type,
		languages                => ['en', 'fr'],
		description              => { en => $desc },
		alias_ipv6_to_ipv4       => 1,
		remove_reserved_networks => 0,
		map_key_type_callback    => sub { $types{ $_[0] } },
	);
	$t->_set_build_epoch($epoch);
	return $t;
}

sub write_tree {
	my ($t, $path) = @_;
	open(my $fh, '>:raw', "$path.tmp") or die "$path.tmp: $!\n";
	$t->write_tree($fh);
	close($fh) or die "$path.tmp: $!\n";
	rename("$path.tmp", $path) or die "$path: $!\n";
}

my $asn = tree('Vigie-Test-ASN', 'Vigie test ASN database');
$asn->insert_network('198.51.100.0/24', {
	autonomous_system_number       => 64500,
	autonomous_system_organization => 'Réseau Santé Démo',
});
$asn->insert_network('203.0.113.0/24', {
	autonomous_system_number       => 64501,
	autonomous_system_organization =>
	    'Hostile "Org" <script>alert(3)</script> =1+1',
});
write_tree($asn, "$dir/test-asn.mmdb");

my %fr = (
	geoname_id => 3017382, iso_code => 'FR',
	names => { en => 'France', fr => 'France' },
);
my %be = (
	geoname_id => 2802361, iso_code => 'BE',
	names => { en => 'Belgium', fr => 'Belgique' },
);
my %eu = (
	geoname_id => 6255148, code => 'EU',
	names => { en => 'Europe', fr => 'Europe' },
);
my $country = tree('Vigie-Test-Country', 'Vigie test country database');
$country->insert_network('198.51.100.0/24', {
	continent => \%eu, country => \%fr, registered_country => \%fr,
});
$country->insert_network('203.0.113.0/24', {
	continent => \%eu, country => \%be, registered_country => \%be,
});
write_tree($country, "$dir/test-country.mmdb");
