module github.com/sillage-oss/sillage/bench/formats/siegfried

go 1.26.8

require (
	github.com/richardlehane/siegfried v1.11.1
	github.com/sillage-oss/sillage v0.0.0
)

require (
	github.com/bmatcuk/doublestar/v4 v4.10.3 // indirect
	github.com/richardlehane/characterize v1.0.0 // indirect
	github.com/richardlehane/match v1.0.5 // indirect
	github.com/richardlehane/mscfb v1.0.4 // indirect
	github.com/richardlehane/msoleps v1.0.3 // indirect
	github.com/richardlehane/xmldetect v1.0.2 // indirect
	github.com/ross-spencer/spargo v0.4.1 // indirect
	github.com/ross-spencer/wikiprov v0.2.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/image v0.17.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.43.0 // indirect
)

replace github.com/sillage-oss/sillage => ../../..
