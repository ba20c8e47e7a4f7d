"""What the Rasa server process loads (`rasa run`, started by bot/rasa_server.py): input channels
(credentials.yml), tracker and lock stores (endpoints.yml, deploy/), and patches to Rasa itself."""
