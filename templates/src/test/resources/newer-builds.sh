#!/bin/sh
# Runs as root inside a booted bastion (BootedBastionIT): a local apt repository, labelled like Debian's security
# archive, holding a newer build of each package whose config file the bastion changed, in which that file changed
# too. That is the update unattended-upgrades meets when Debian ships a security fix with a new default config.
#
#   newer-builds.sh DIR PKG:FILE[:FILE...]...   each FILE a dpkg conffile of PKG, or a file PKG ships (a ucf template)
#
# The packages are Debian's own (apt-get download through the harness's proxy), rebuilt with "+lifeline1" on the
# version and one line appended to each FILE; everything else is byte for byte Debian's.
set -eu
dir=$1; shift
rm -rf "$dir"; mkdir -p "$dir/repo"; chmod 0755 "$dir" "$dir/repo"; cd "$dir"   # apt fetches as _apt
for spec in "$@"; do
    pkg=${spec%%:*}; files=${spec#*:}
    apt-get download -q "$pkg" > /dev/null
    deb=$(ls "${pkg}"_*.deb)
    version=$(dpkg-deb -f "$deb" Version)
    rm -rf x; dpkg-deb -R "$deb" x
    for file in $(echo "$files" | tr ':' ' '); do
        [ -f "x$file" ] || { echo "newer-builds: $pkg ships no $file" >&2; exit 2; }
        echo "# lifeline-upgrade-proof: a new upstream default in $pkg $version+lifeline1" >> "x$file"
        # the package's own checksum of the file, when it lists one (conffiles usually are not in md5sums)
        rel=${file#/}
        if grep -q "  $rel\$" x/DEBIAN/md5sums 2>/dev/null; then
            grep -v "  $rel\$" x/DEBIAN/md5sums > x/DEBIAN/md5sums.new
            (cd x && md5sum "$rel") >> x/DEBIAN/md5sums.new
            mv x/DEBIAN/md5sums.new x/DEBIAN/md5sums
        fi
    done
    sed -i "s/^Version: .*/Version: $version+lifeline1/" x/DEBIAN/control
    dpkg-deb -b x repo/ > /dev/null
    rm -rf x "$deb"
done
cd repo
apt-ftparchive packages . > Packages
# the fields the bastion's Unattended-Upgrade::Origins-Pattern admits: Debian's security archive for bookworm
apt-ftparchive -o APT::FTPArchive::Release::Origin=Debian -o APT::FTPArchive::Release::Label=Debian-Security \
    -o APT::FTPArchive::Release::Suite=stable-security -o APT::FTPArchive::Release::Codename=bookworm-security \
    release . > Release
echo "deb [trusted=yes] file:$dir/repo ./" > /etc/apt/sources.list.d/lifeline-upgrade-proof.list
# only this source: the Debian lists are as fresh as cloud-init's package_upgrade left them
apt-get update -q -o Dir::Etc::sourcelist=/etc/apt/sources.list.d/lifeline-upgrade-proof.list \
    -o Dir::Etc::sourceparts=- -o APT::Get::List-Cleanup=0 > /dev/null
for spec in "$@"; do
    pkg=${spec%%:*}
    echo "$pkg $(dpkg-query -W -f '${Version}' "$pkg") -> $(apt-cache policy "$pkg" | awk '/Candidate:/ { print $2 }')"
done
